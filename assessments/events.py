"""Record account and membership events (AccountEvent) from any layer above."""

from .models import AccountEvent


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(kind, *, user=None, actor=None, organisation=None, detail="", request=None) -> AccountEvent:
    """One line of the account's security page and of the organisation's audit trail."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    return AccountEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        organisation=organisation,
        detail=str(detail)[:500],
        ip_address=client_ip(request),
    )
