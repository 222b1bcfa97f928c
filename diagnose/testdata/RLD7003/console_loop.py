import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
user = autogen.UserProxyAgent("user", human_input_mode="ALWAYS", code_execution_config=False)
bot = autogen.AssistantAgent("bot", llm_config={"config_list": config_list, "cache_seed": 42})

# A chat console: a person types each turn, so the growing history is a note.
while True:
    msg = input("You: ")
    if msg.strip().lower() == "exit":
        break
    user.initiate_chat(bot, message=msg, clear_history=False, max_turns=1)  # want RLD7003 "a person paces this loop"
