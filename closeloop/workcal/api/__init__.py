from closeloop.workcal.api.routes import router

ROUTERS = [("/calendar", router)]
