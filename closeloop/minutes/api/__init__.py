from closeloop.minutes.api.routes import router

ROUTERS = [("/minutes", router)]
