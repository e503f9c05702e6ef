from closeloop.org.api.routes import router

ROUTERS = [("/", router)]
