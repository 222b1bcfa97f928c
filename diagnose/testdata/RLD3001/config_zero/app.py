import time

import autogen
from openai import RateLimitError

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": 42})
user = autogen.UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=3, code_execution_config=False)

for attempt in range(5):
    try:
        user.initiate_chat(assistant, message="Go.", max_turns=2)
        break
    except RateLimitError:
        time.sleep(2 ** attempt)
