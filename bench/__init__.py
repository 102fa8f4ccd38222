"""The benchmark: data generator, load runner and report (`make bench`; see README, Performance)."""
