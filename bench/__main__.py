"""`python -m bench` runs the whole benchmark."""

from bench.run import main

main()
