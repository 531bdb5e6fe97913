"""The model registry: every capability's models, imported so the metadata is complete.

It stands at the top, beside the factory, so that no package below imports the packages above
it just to register their tables. The factory, Alembic's env.py and the tests use it.
"""

from transparency.accounts import models as accounts  # noqa: F401
from transparency.areas import models as areas  # noqa: F401
from transparency.audit import models as audit  # noqa: F401
from transparency.complaints import models as complaints  # noqa: F401
from transparency.core import page_revisions  # noqa: F401
from transparency.core.db import Base
from transparency.disclosures import models as disclosures  # noqa: F401
from transparency.obligations import models as obligations  # noqa: F401
from transparency.obligations import status_models as obligation_status  # noqa: F401
from transparency.search import models as search  # noqa: F401

metadata = Base.metadata
