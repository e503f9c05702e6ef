from closeloop.record.api.extract import router as extract_router
from closeloop.record.api.routes import router

ROUTERS = [("/record", router), ("/record", extract_router)]
