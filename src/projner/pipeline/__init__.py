"""End-to-end pipelines that chain the stages (translate → tag → align → project → write → evaluate)."""
