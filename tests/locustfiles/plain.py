"""A plain Locust file that does not import genesis_load."""

from locust import FastHttpUser, constant, task


class Plain(FastHttpUser):
    wait_time = constant(0.05)

    @task
    def health(self) -> None:
        self.client.get("/health")
