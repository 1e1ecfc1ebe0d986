"""Stage 3, index: parsed papers -> a published index: planning, embedding and writing a build."""
