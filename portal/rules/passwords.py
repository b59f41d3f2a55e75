"""What makes a password acceptable: long enough, not a well-known one, not the person's own details.

Following the NCSC's advice: length over complexity rules, and a refusal list of the
passwords most often tried first.
"""
MIN_LENGTH = 10
MAX_LENGTH = 128

COMMON = frozenset("""
password password1 password12 password123 password1234 passw0rd123 qwertyuiop qwerty1234 qwerty12345
1234567890 0123456789 12345678910 1111111111 0000000000 abcdefghij iloveyou12 letmein123 welcome123
welcome1234 trustno1234 football123 baseball123 sunshine12 princess12 superman12 dragon1234 monkey1234
changeme123 administrator nhspassword doctor1234 hospital123 mentoring1 mentoring123 peermentor
abc1234567 abcd123456 1q2w3e4r5t q1w2e3r4t5 zaq12wsxcv asdfghjkl1 iloveyou123 starwars12 whatever12
""".split())


def problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Every reason the password is refused, in words for the person choosing it."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"Your password must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        found.append(f"Your password must be {MAX_LENGTH} characters or fewer")
    lowered = password.lower()
    if lowered in COMMON or _repetitive(lowered):
        found.append("That password is too easy to guess: try three random words")
    local = email.split("@")[0].lower()
    personal = [part for part in [local, *name.lower().split()] if len(part) >= 4]
    if any(part in lowered for part in personal):
        found.append("Your password must not contain your name or email address")
    return found


def _repetitive(text: str) -> bool:
    """One short piece said over and over: "aaaaaaaaaa", "abababab", "pat pat pat"."""
    compact = text.replace(" ", "")
    return any(compact == compact[:size] * (len(compact) // size)
               for size in range(1, 5) if compact and len(compact) % size == 0)
