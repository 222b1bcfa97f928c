import openai
from autogen import AssistantAgent, UserProxyAgent

assistant = AssistantAgent("assistant", llm_config={"config_list": [{"model": "gpt-4", "max_retries": 0}]})
user = UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=3)

for attempt in range(10):  # want RLD3002 "retry loop on line 7 around user.initiate_chat\(...\) retries at once with no sleep"
    try:
        user.initiate_chat(assistant, message="Go.")
        break
    except openai.RateLimitError as e:
        print("rate limited", e)
