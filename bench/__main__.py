"""`make bench`: every benchmark in turn, printing its figures; `make bench BENCH=routes` runs one,
BENCH="routes email" two, and a number after soak is its minutes (BENCH="soak 2"; 10 by default)."""
import sys

from bench import dashboard, email, national, routes, soak, summaries, sweeps

BENCHES = {"national": national.main, "routes": routes.main, "sweeps": sweeps.main, "email": email.main,
           "dashboard": dashboard.main, "summaries": summaries.main, "soak": soak.main}


def plan(args: list[str]) -> list[tuple[str, tuple]]:
    chosen: list[tuple[str, tuple]] = []
    for arg in args:
        if chosen and chosen[-1] == ("soak", ()) and arg.replace(".", "", 1).isdigit():
            chosen[-1] = ("soak", (float(arg),))
        elif arg in BENCHES:
            chosen.append((arg, ()))
        else:
            sys.exit(f"No benchmark named {arg}: choose from {', '.join(BENCHES)} (and soak's minutes)")
    return chosen or [(name, ()) for name in BENCHES]


if __name__ == "__main__":
    for name, args in plan(sys.argv[1:]):
        BENCHES[name](*args)
