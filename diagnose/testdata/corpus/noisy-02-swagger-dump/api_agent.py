import json
import requests
from autogen import ConversableAgent

cfg = {"config_list": [{"model": "gpt-3.5-turbo", "api_key": "sk-z5S16IlLZuKSPCmDL6sbSble9uhXq2G9xrZAAXepSpw6ACEW"}]}

assistant = ConversableAgent("api_helper", llm_config=cfg,
                             system_message="Use the spec tool to answer API questions. Say TERMINATE at the end.")
executor = ConversableAgent("executor", llm_config=False, human_input_mode="NEVER",
                            is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""))


@executor.register_for_execution()
@assistant.register_for_llm(description="Fetch the service's OpenAPI spec")
def get_spec(service_url: str) -> str:
    resp = requests.get(f"{service_url}/swagger.json", timeout=30)
    return json.dumps(resp.json(), indent=2)


executor.initiate_chat(assistant, message="Which endpoint creates an invoice?", max_turns=4)
