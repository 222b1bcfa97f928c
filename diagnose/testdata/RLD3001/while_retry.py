import time

import openai
from autogen import AssistantAgent, UserProxyAgent

llm_config = {"config_list": [{"model": "gpt-4o-mini"}], "timeout": 120}
assistant = AssistantAgent("assistant", llm_config=llm_config)
user = UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=5)

attempts = 0
while attempts < 5:
    try:
        user.initiate_chat(assistant, message="Summarise the report.")  # want RLD3001 "user.initiate_chat\(...\) is retried by the retry loop on line 11 on top of the openai client's own retries"
        break
    except openai.RateLimitError:
        attempts += 1
        time.sleep(2 ** attempts)
