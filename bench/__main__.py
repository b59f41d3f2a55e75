"""`make bench`: every benchmark in turn, printing its figures; `make bench BENCH=routes` runs one
(several: BENCH="routes email"). `python -m bench soak 2` runs the soak test for 2 minutes."""
import sys

from bench import dashboard, email, national, routes, soak, sweeps

BENCHES = {"routes": routes.main, "national": national.main, "sweeps": sweeps.main, "email": email.main,
           "dashboard": dashboard.main, "soak": soak.main}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHES)
    if chosen[0] == "soak" and len(chosen) == 2 and chosen[1].replace(".", "").isdigit():
        soak.main(float(chosen[1]))
        sys.exit(0)
    unknown = [name for name in chosen if name not in BENCHES]
    if unknown:
        sys.exit(f"No benchmark named {', '.join(unknown)}: choose from {', '.join(BENCHES)}")
    for name in chosen:
        BENCHES[name]()
