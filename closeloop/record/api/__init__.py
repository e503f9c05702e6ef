from closeloop.record.api.routes import router

ROUTERS = [("/record", router)]
