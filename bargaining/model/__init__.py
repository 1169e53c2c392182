"""What a game is: immutable, validated models (no solvers, no files)."""
