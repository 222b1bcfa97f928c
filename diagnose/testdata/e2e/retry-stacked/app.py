import time

from autogen import AssistantAgent, UserProxyAgent
from openai import RateLimitError

llm_config = {"config_list": [{"model": "gpt-4o-mini", "max_retries": 5}], "cache_seed": 42}
assistant = AssistantAgent("assistant", llm_config=llm_config)
user = UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=4, code_execution_config=False)

while True:
    try:
        user.initiate_chat(assistant, message="Classify these tickets.", max_turns=3)
        break
    except RateLimitError:
        print("rate limited, retrying")
        time.sleep(1)
