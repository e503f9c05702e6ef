from closeloop.notify.api.routes import router

ROUTERS = [("/notify", router)]
