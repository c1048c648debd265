"""Outbound change notifications, provider-neutral: the engine (engine.py) that renders each
provider's deliveries from the change feed and sends them, the records it keeps (models.py), the
rules tests use to shape them (rules.py), and receivers that collect them (receiver.py).

A provider takes part through `registry.Provider.notifications`, an object with:

    wants(backend) -> bool              any subscription at all (cheap: asked on every commit)
    render(backend, changes) -> [Outbound | Cancel]   the requests a batch of changes causes
    settled(backend, delivery) -> None  a delivery reached its final state (close a channel...)
    verify(backend, headers, body, url) -> bool | None  a request received at `url` carries a
                                        valid signature (None: not this provider's request)
"""

from mockserver.delivery.engine import DeliveryEngine
from mockserver.delivery.models import Attempt, Cancel, Delivery, Outbound, RetryPolicy

__all__ = ["Attempt", "Cancel", "Delivery", "DeliveryEngine", "Outbound", "RetryPolicy"]
