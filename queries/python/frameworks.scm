; Framework evidence beyond imports and constructor calls: the base classes a script extends
; (LightningModule, keras.Model, nn.Module).
(class_definition
  superclasses: (argument_list [(identifier) (attribute)] @framework.base_class))
