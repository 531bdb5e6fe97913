"""Every capability's models, imported so the metadata is complete (for Alembic and tests)."""

from transparency.accounts import models as accounts  # noqa: F401
from transparency.areas import models as areas  # noqa: F401
from transparency.audit import models as audit  # noqa: F401
from transparency.complaints import models as complaints  # noqa: F401
from transparency.core.db import Base
from transparency.disclosures import immutability  # noqa: F401  (installs the flush guard)
from transparency.disclosures import models as disclosures  # noqa: F401
from transparency.obligations import models as obligations  # noqa: F401
from transparency.search import models as search  # noqa: F401

metadata = Base.metadata
