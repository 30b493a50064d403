"""The review store: officials' corrections and placements that last, reviewed, audited, merged for every visitor.

No Streamlit here. The app and the CLI (``python -m geo.review``) use this API::

    store = Store.from_env()                      # PLANMAP_DB, default sqlite:///var/planmap.sqlite
    me = store.authenticate(name, password)       # -> Account (raises Refused)
    store.submit_changes(me, base, item_id, {"precision": "site", "lon": "116.3", "lat": "37.4"}, reason)
    store.submit_placement(me, base, item_id, point=Point(lon, lat))   # or outline=Polygon, town_code=...
    store.pending(); store.approve(reviewer, base, sid, comment); store.reject(reviewer, sid, comment)
    data = store.merged_data(base)                # PlanData with the approved changes; cache by store.version()

See docs/ARCHITECTURE.md ("The review store").
"""

from geo.review.changes import parse_placed_by, placed_by
from geo.review.errors import Refused, StoreUnavailable
from geo.review.models import KINDS, ROLES, STATUSES
from geo.review.settings import DEFAULT_URL, ENV_VAR, database_url
from geo.review.store import Account, AuditEntry, BatchResult, SignInLimits, Store, SubmissionInfo

__all__ = [
    "Account", "AuditEntry", "BatchResult", "DEFAULT_URL", "ENV_VAR", "KINDS", "ROLES", "Refused", "STATUSES",
    "SignInLimits", "Store", "StoreUnavailable", "SubmissionInfo", "database_url", "parse_placed_by", "placed_by",
]
