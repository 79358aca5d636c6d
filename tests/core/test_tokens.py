"""Feed links and API tokens are kept only as one digest, the same for both."""

import hashlib

from escape_events.core.tokens import hash_token


def test_a_token_is_kept_as_its_sha256_digest_not_as_itself():
    digest = hash_token("ee_secret")
    assert digest == hashlib.sha256(b"ee_secret").hexdigest()
    assert "secret" not in digest and len(digest) == 64
    assert hash_token("ee_secreT") != digest
