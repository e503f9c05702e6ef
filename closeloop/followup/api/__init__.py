from closeloop.followup.api.routes import router

ROUTERS = [("/actions", router)]
