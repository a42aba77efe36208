"""Small shared helpers: atomic output files, fingerprinted caches, paths, progress bars."""
