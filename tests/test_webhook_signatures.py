"""Each provider's signature helper against the test vectors of reference/webhooks.md (§2.4 and
§3.3, recomputed there with Python's hmac), so a receiver can trust what the fake signs."""

from __future__ import annotations

import pytest

from contracts.cronofy.notifications.test_upstream_channels import (
    WELL_KNOWN_BODY,
    WELL_KNOWN_HMAC,
    WELL_KNOWN_SECRET,
    sdk_hmac_valid,
)
from mockserver.calcom.notifications import NO_SECRET
from mockserver.calcom.notifications import sign as calcom_sign
from mockserver.truto.notifications import digest, signature, signature_valid

CALCOM_BODY = (
    b'{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-01-01T00:00:00.000Z",'
    b'"payload":{"uid":"abc"}}'
)
TRUTO_SECRET = "6e17561c-a20c-44ce-b8b5-caff0bf786fe"
TRUTO_BODY = (
    b'{"id":"e1","event":"integrated_account:created","payload":{},"environment_id":"env",'
    b'"webhook_id":"wh","created_at":"2026-01-01T00:00:00.000Z"}'
)


@pytest.mark.rule("webhooks", "calcom-14")
def test_rule_14_calcom_signature_vector():
    assert calcom_sign(CALCOM_BODY, "whsec_test") == (
        "0cb3bfbdec26e297fcf41f13a0c6b1595da4c2b16b860ffa07267c43ab747260"
    )
    assert calcom_sign(CALCOM_BODY, None) == NO_SECRET == "no-secret-provided"
    assert calcom_sign(CALCOM_BODY, "") == NO_SECRET


@pytest.mark.rule("webhooks", "truto-8")
def test_rule_8_truto_signature_vector():
    hexed = "6a0d81924a9886418d01d57546172fdcaf4f060e9aca92feadbc5556b1120773"
    assert signature(TRUTO_BODY, TRUTO_SECRET) == f"format=sha256,v={hexed}"
    assert signature_valid(f"format=sha256,v={hexed}", TRUTO_BODY, TRUTO_SECRET)
    assert not signature_valid(f"format=sha256,v={hexed}", TRUTO_BODY + b" ", TRUTO_SECRET)


@pytest.mark.rule("webhooks", "truto-9")
def test_rule_9_truto_base64_vector():
    b64 = "ag2BkkqYhkGNAdV1Rhcv3K9PBg6aypL+rbxVVrESB3M="
    assert digest(TRUTO_BODY, TRUTO_SECRET, "base64") == b64
    assert signature(TRUTO_BODY, TRUTO_SECRET, "base64") == f"format=sha256,v={b64}"
    assert signature_valid(f"v={b64}", TRUTO_BODY, TRUTO_SECRET)  # integrators' shorter form


def test_cronofy_sdk_hmac_fixtures_define_the_replay_verifier():
    """Sources: cronofy/cronofy-ruby spec/lib/cronofy/client_spec.rb "HMAC verification" (six
    examples) @ b75d79f275ca; cronofy/cronofy-csharp test/Cronofy.Test/PushNotificationTests/
    HmacVerification.cs CanVerifyValidHmac, CanRejectInvalidHmac, CanVerifyMultiValueHmac
    @ 8b98dd70fc8c; cronofy/pycronofy tests/test_client.py test_hmac_valid @ e0e3b3787d77 (the
    same cases). The verifier contracts/cronofy/notifications/test_upstream_channels.py applies to the fake's
    deliveries gives the SDKs'
    answers on their own fixtures (it checks the replay's verifier, not the fake, so it lives here)."""
    body = WELL_KNOWN_BODY.encode()
    ok = sdk_hmac_valid
    assert ok(WELL_KNOWN_HMAC, body, WELL_KNOWN_SECRET)
    assert not ok("something-else", body, WELL_KNOWN_SECRET)
    assert ok(f"{WELL_KNOWN_HMAC},something-else", body, WELL_KNOWN_SECRET)
    assert not ok("something-else,something-else2", body, WELL_KNOWN_SECRET)
    assert not ok("", body, WELL_KNOWN_SECRET)
    assert not ok(None, body, WELL_KNOWN_SECRET)
    wrong = "PNNVJ9J2e8N174koxcKDzktZ9Qkt8YUzP+V+l5lG8F4="
    assert not ok(wrong, body, WELL_KNOWN_SECRET)
    assert ok(f"{wrong},{WELL_KNOWN_HMAC}", body, WELL_KNOWN_SECRET)
