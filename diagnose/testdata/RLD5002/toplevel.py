import autogen

llm_config = {
    "config_list": autogen.config_list_from_json("OAI_CONFIG_LIST"),
    "api_rate_limit": 0.5,  # want RLD5002 "sits next to config_list"
}
assistant = autogen.AssistantAgent("assistant", llm_config=llm_config)
