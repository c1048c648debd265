"""Record and compare: drift detection for teams without the real API's credentials in CI.

`mockserver record --provider P --upstream URL --cassette FILE` runs a reverse proxy
(`proxy.py`) in front of the real API: every exchange that goes through it is written to the
cassette (`cassette.py`) with its secrets masked (the journal's masking) and the ids of its answer
noted. `mockserver compare FILE` (`compare.py`) replays the recorded requests against the fake,
in-process or at `--target URL`, and reports per exchange how the fake's answer differs from the
recorded one: status, content type, keys, JSON types, and the values that are not volatile.
Ids are compared the way LocalStack's snapshot transformers do (`normalize.py`): each distinct
id becomes a placeholder (`<id:3>`) in order of appearance on each side, and an id the real API
handed out is replaced, in later requests, by the one the fake handed out at the same place.

Shared code: it names no provider. What differs per provider (id keys, volatile keys, the
credentials a replay sends) is the provider's `registry.Provider.recording` profile.
"""
