import time

import backoff
import openai
from openai import OpenAI

client = OpenAI(max_retries=0)


@backoff.on_exception(backoff.expo, openai.RateLimitError, max_tries=6)
def complete(prompt):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])


def complete_loop(prompt):
    delay = 1
    for attempt in range(6):
        try:
            return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
        except openai.RateLimitError:
            time.sleep(delay)
            delay *= 2
    raise RuntimeError("gave up")
