"""Empty on purpose: the chart mounts a lib configmap next to the locustfile; genesis-load
needs none (everything is in the image)."""
