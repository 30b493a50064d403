"""AppTest support for the officials' app: a fresh review store (SQLite file) named by ``PLANMAP_DB`` for the app
run in this process, with users: wang (official of 宁津县 371422), li (official of 齐河县 371425), zhao (reviewer).

The passwords are hashed with small Argon2 costs (``fast_passwords``); the production parameters are tested in
test_review_passwords.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from geo.review import Account, Store

PASSWORDS = {"wang": "ningjin-pass-1", "li": "qihe-pass-22", "zhao": "review-pass-333"}
NINGJIN, QIHE = "371422", "371425"
NINGJIN_PARK, QIHE_PARK = "park-b04-22", "park-b04-25"  # 健身器材产业园 (宁津县), 德瑞智能制造产业园 (齐河县)


@dataclass
class ReviewEnv:
    store: Store
    url: str
    accounts: dict[str, Account]


@pytest.fixture
def review_env(tmp_path, monkeypatch, fast_passwords, data) -> ReviewEnv:
    url = f"sqlite:///{tmp_path / 'app-store.sqlite'}"
    monkeypatch.setenv("PLANMAP_DB", url)
    store = Store.open(url)
    units = set(data.units["code"].astype(str))
    store.add_user("wang", PASSWORDS["wang"], role="official", unit=NINGJIN, known_units=units)
    store.add_user("li", PASSWORDS["li"], role="official", unit=QIHE, known_units=units)
    store.add_user("zhao", PASSWORDS["zhao"], role="reviewer")
    accounts = {n: store.authenticate(n, p) for n, p in PASSWORDS.items()}
    yield ReviewEnv(store, url, accounts)
    store.close()
