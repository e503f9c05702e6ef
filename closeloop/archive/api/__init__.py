from closeloop.archive.api.routes import router

ROUTERS = [("/archive", router)]
