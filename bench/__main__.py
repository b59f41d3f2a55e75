"""`make bench`: every benchmark in turn, printing its figures."""
import sys

from bench import dashboard, directory, summaries, sweeps

BENCHES = {"directory": directory.main, "sweeps": sweeps.main, "dashboard": dashboard.main,
           "summaries": summaries.main}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHES)
    for name in chosen:
        BENCHES[name]()
