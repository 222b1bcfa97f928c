import autogen

config_list = [
    {
        "model": "gpt-4o-mini",
        "api_key": "sk-proj-26auCJp8cHzlQEWht8NC1Wd3N52OWt3O2VcbNs6UPKlNfprB",
    }
]

assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": 42})
user_proxy = autogen.UserProxyAgent("user_proxy", human_input_mode="TERMINATE",
                                    max_consecutive_auto_reply=5, code_execution_config=False)

user_proxy.initiate_chat(assistant, message="Give me three name ideas for a bakery.", max_turns=2)
