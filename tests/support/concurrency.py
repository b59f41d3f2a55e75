"""Racing: actions released together, each from a thread of its own."""
import threading


def all_at_once(actions, timeout=120):
    """Run each action in a thread of its own, released together; their results, or the exception each
    raised (kept to assert on: a refusal is often the expected outcome)."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=timeout)
            results[index] = action()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
