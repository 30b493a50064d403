import pytest

from geo.review.passwords import hash_password, needs_rehash, verify_password


@pytest.mark.slow
def test_production_hashes_are_argon2id_with_the_rfc9106_parameters():
    h = hash_password("long-enough-1")
    assert h.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and "long-enough-1" not in h
    assert h != hash_password("long-enough-1")  # salted
    assert verify_password(h, "long-enough-1") and not verify_password(h, "long-enough-2")
    assert not verify_password("not a hash", "long-enough-1")
    assert not needs_rehash(h)
    assert needs_rehash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$4bS5nI1Uf3b2qpmW2MS0Ow")
