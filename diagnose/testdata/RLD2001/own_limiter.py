import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import autogen


class RequestThrottle:
    """The project's own limiter: one call per `gap` seconds across threads."""

    def __init__(self, gap: float):
        self.gap, self.last, self.lock = gap, 0.0, threading.Lock()

    def wait(self):
        with self.lock:
            delay = self.last + self.gap - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.last = time.monotonic()


throttle = RequestThrottle(gap=6.0)
config_list = [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}]


def answer(q):
    throttle.wait()
    bot = autogen.AssistantAgent("bot", llm_config={"config_list": config_list})
    user = autogen.UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    return user.initiate_chat(bot, message=q, max_turns=1).summary


with ThreadPoolExecutor(max_workers=8) as pool:
    print(list(pool.map(answer, ["q1", "q2", "q3", "q4", "q5"])))
