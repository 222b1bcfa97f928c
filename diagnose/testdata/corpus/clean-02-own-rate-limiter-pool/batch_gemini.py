import os
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import autogen


class SharedRateLimiter:
    """At most `rpm` calls in any 60 seconds, shared by every thread."""

    def __init__(self, rpm: int):
        self.rpm = rpm
        self.calls = deque()
        self.lock = threading.Lock()

    def wait(self):
        while True:
            with self.lock:
                now = time.monotonic()
                while self.calls and now - self.calls[0] > 60:
                    self.calls.popleft()
                if len(self.calls) < self.rpm:
                    self.calls.append(now)
                    return
            time.sleep(0.5)


limiter = SharedRateLimiter(rpm=10)
config_list = [{"model": "gemini-1.5-flash", "api_key": os.environ["GEMINI_API_KEY"], "api_type": "google"}]


def summarise(doc: str) -> str:
    limiter.wait()
    writer = autogen.AssistantAgent("writer", llm_config={"config_list": config_list, "cache_seed": 42})
    user = autogen.UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    return user.initiate_chat(writer, message=f"Summarise: {doc}", max_turns=1).summary


with ThreadPoolExecutor(max_workers=8) as pool:
    summaries = list(pool.map(summarise, [f"doc {i}" for i in range(40)]))
