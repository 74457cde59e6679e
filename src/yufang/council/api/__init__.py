"""The joint meeting's API: joint meetings, members and liaisons, meetings (record,
attendance, attachments, resolutions, closing), tasks and progress reports, work plans and their
sources, the shared data, the yearly data exchange and the yearly reports. Same services and
selectors as the pages; a record outside the caller's scope is 404, a role with no business
here 403, bad input 422 naming the field."""

from yufang.council.api import meetings, work  # noqa: F401 - the routes register on import
from yufang.council.api.common import router

__all__ = ["router"]
