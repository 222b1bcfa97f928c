from autogen import AssistantAgent, UserProxyAgent

llm_config = {"config_list": [{"model": "gpt-4"}], "cache_seed": None}  # want RLD6001 "\"cache_seed\": None turns off"
assistant = AssistantAgent("assistant", llm_config=llm_config)
user = UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=4)
user.initiate_chat(assistant, message="hello")
