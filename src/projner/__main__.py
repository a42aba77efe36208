from projner.cli.main import main

main()
