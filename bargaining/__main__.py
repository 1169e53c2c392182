from bargaining.cli import main

main()
