from .routes import router

ROUTERS = [("/directory", router)]
