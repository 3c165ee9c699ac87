"""The API's own routers, one module per resource."""
