from django.conf import settings


def client_ip(request) -> str | None:
    """The address a request came from. Behind `TANDEM_TRUSTED_PROXIES` proxies that append to
    X-Forwarded-For, it is that many hops from the right: anything further left was written by
    the client and cannot be trusted."""
    proxies = settings.TANDEM_TRUSTED_PROXIES
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
