from closeloop.search.api.routes import router

ROUTERS = [("/search", router)]
