from autogen import AssistantAgent, Cache, UserProxyAgent

llm_config = {"config_list": [{"model": "gpt-4"}], "cache_seed": None}
assistant = AssistantAgent("assistant", llm_config=llm_config)
user = UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=4)
with Cache.disk(cache_seed=7) as cache:
    user.initiate_chat(assistant, message="hello", cache=cache)
