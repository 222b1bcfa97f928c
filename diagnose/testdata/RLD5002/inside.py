import autogen

config_list = [{"model": "gpt-4o", "api_rate_limit": 0.5}]
llm_config = {"config_list": config_list, "cache_seed": 42}
assistant = autogen.AssistantAgent("assistant", llm_config=llm_config)
