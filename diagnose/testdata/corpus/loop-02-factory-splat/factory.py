import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")

BASE = {
    "llm_config": {"config_list": config_list, "temperature": 0.7},
    "human_input_mode": "NEVER",
}


def make_agent(name, persona):
    return autogen.ConversableAgent(name=name, system_message=persona, **BASE)


buyer = make_agent("buyer", "You are buying a used car. Negotiate hard.")
seller = make_agent("seller", "You are selling a used car. Never go below $9,000.")

buyer.initiate_chat(seller, message="I'll give you $7,000 for the car.")
