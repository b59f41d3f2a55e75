"""The audit log: who did what to which record, and when. Never what anyone said."""
from portal.models import AuditEvent


def record(actor, action: str, obj=None, detail: str = "") -> AuditEvent:
    """actor: the User who acted, or None for the portal itself (a sweep, say)."""
    return AuditEvent.create(
        actor=actor,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        detail=detail[:200],
    )


def record_all(actor, action: str, objs: list, detail: str = "") -> None:
    """`record` for many records at once (a sweep's), in one insert."""
    if objs:
        AuditEvent.insert_many([{"actor": actor, "action": action, "object_type": type(obj).__name__.lower(),
                                 "object_id": obj.id, "detail": detail[:200]} for obj in objs]).execute()
