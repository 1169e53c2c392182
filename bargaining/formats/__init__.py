"""Files in and out: Gambit .nfg/.efg, YAML game and experiment files, result writers."""
