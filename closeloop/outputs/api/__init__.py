from closeloop.outputs.api.routes import router

ROUTERS = [("/minutes", router)]
